CREATE TABLE `custom_inputs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` integer NOT NULL,
	`name` text NOT NULL,
	`input` text NOT NULL,
	`part1` text,
	`part2` text,
	`submitted_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`hidden` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_inputs_day_name` ON `custom_inputs` (`day`,`name`);--> statement-breakpoint
CREATE TABLE `matrix_cells` (
	`solver_id` integer NOT NULL,
	`day` integer NOT NULL,
	`input` text NOT NULL,
	`input_version` text NOT NULL,
	`solver_version` text NOT NULL,
	`status` text NOT NULL,
	`exit_code` integer,
	`message` text,
	`output` text,
	`expected` text,
	`wall_ms` real,
	`run_at` integer NOT NULL,
	PRIMARY KEY(`solver_id`, `day`, `input`),
	FOREIGN KEY (`solver_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `matrix_inputs` (
	`day` integer NOT NULL,
	`name` text NOT NULL,
	`owner_id` integer,
	`version` text NOT NULL,
	`part1` text,
	`part2` text,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`day`, `name`)
);

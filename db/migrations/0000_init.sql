CREATE TABLE `cycles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`containers` integer DEFAULT 0 NOT NULL,
	`days_run` integer DEFAULT 0 NOT NULL,
	`hardware` text
);
--> statement-breakpoint
CREATE TABLE `day_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`participant_id` integer NOT NULL,
	`day` integer NOT NULL,
	`run_at` integer NOT NULL,
	`version` text NOT NULL,
	`input_version` text NOT NULL,
	`image_id` text NOT NULL,
	`status` text NOT NULL,
	`failed_step` text,
	`exit_code` integer,
	`input_source` text,
	`samples` text DEFAULT '[]' NOT NULL,
	`median_ms` real,
	`mean_ms` real,
	`min_ms` real,
	`max_ms` real,
	`stddev_ms` real,
	`ci_low_ms` real,
	`ci_high_ms` real,
	`check_ms` real,
	`expected` text,
	`message` text,
	`runonce_output` text,
	`check_output` text,
	`duration_ms` integer,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `day_history_by_day` ON `day_history` (`participant_id`,`day`,`run_at`);--> statement-breakpoint
CREATE TABLE `day_results` (
	`participant_id` integer NOT NULL,
	`day` integer NOT NULL,
	`run_at` integer NOT NULL,
	`version` text NOT NULL,
	`input_version` text NOT NULL,
	`image_id` text NOT NULL,
	`status` text NOT NULL,
	`failed_step` text,
	`exit_code` integer,
	`input_source` text,
	`samples` text DEFAULT '[]' NOT NULL,
	`median_ms` real,
	`mean_ms` real,
	`min_ms` real,
	`max_ms` real,
	`stddev_ms` real,
	`ci_low_ms` real,
	`ci_high_ms` real,
	`check_ms` real,
	`expected` text,
	`message` text,
	`runonce_output` text,
	`check_output` text,
	`duration_ms` integer,
	PRIMARY KEY(`participant_id`, `day`),
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `health` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`participant_id` integer NOT NULL,
	`day` integer DEFAULT 0 NOT NULL,
	`topic` text NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`detail` text,
	`at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `health_topic` ON `health` (`participant_id`,`day`,`topic`);--> statement-breakpoint
CREATE TABLE `images` (
	`participant_id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`image_id` text,
	`built` integer DEFAULT false NOT NULL,
	`log` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `participants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`dir_name` text NOT NULL,
	`repo` text NOT NULL,
	`branch` text,
	`subheading` text,
	`language` text,
	`position` integer DEFAULT 0 NOT NULL,
	`config` text,
	`validation_state` text,
	`validation_messages` text,
	`head` text,
	`updated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `participants_name_unique` ON `participants` (`name`);--> statement-breakpoint
CREATE TABLE `repo_updates` (
	`participant_id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`operation` text NOT NULL,
	`failed_step` text,
	`output` text DEFAULT '' NOT NULL,
	`head` text,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE cascade
);

CREATE TABLE `queue_counts` (
	`id` integer PRIMARY KEY NOT NULL,
	`waiting` integer NOT NULL,
	`active` integer NOT NULL,
	`failed` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `queue_workers` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`hardware_class` text NOT NULL,
	`job` text,
	`message` text,
	`started_at` integer NOT NULL,
	`seen_at` integer NOT NULL
);

CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`participant` text,
	`day` integer,
	`force` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`progress` text,
	`message` text
);
--> statement-breakpoint
CREATE INDEX `jobs_by_status` ON `jobs` (`status`,`id`);
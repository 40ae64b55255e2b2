CREATE TABLE `runners` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL,
	`seen_at` integer NOT NULL
);

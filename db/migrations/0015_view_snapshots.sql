CREATE TABLE `view_snapshots` (
	`key` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`written_at` integer NOT NULL
);

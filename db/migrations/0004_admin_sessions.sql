CREATE TABLE `admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`csrf` text NOT NULL,
	`password_tag` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);

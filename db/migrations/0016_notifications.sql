CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target` text NOT NULL,
	`kind` text NOT NULL,
	`url_env` text NOT NULL,
	`secret_env` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`last_error` text,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `notifications_due` ON `notifications` (`status`,`next_at`);--> statement-breakpoint
CREATE TRIGGER `content_notifications_update` AFTER UPDATE ON `notifications` WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`last_error` IS NOT NEW.`last_error` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;

ALTER TABLE `health` ADD `wip` integer DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE `health` SET `wip` = 1 WHERE `topic` = 'day' AND `detail` LIKE '%"wip":true%';--> statement-breakpoint
DROP TRIGGER `content_health_update`;--> statement-breakpoint
CREATE TRIGGER `content_health_update` AFTER UPDATE ON `health` WHEN OLD.`level` IS NOT NEW.`level` OR OLD.`message` IS NOT NEW.`message` OR OLD.`detail` IS NOT NEW.`detail` OR OLD.`wip` IS NOT NEW.`wip` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;

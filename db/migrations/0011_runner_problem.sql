ALTER TABLE `runners` ADD `problem` text;--> statement-breakpoint
CREATE TRIGGER `content_runners_problem` AFTER UPDATE OF `problem` ON `runners` WHEN OLD.`problem` IS NOT NEW.`problem` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;

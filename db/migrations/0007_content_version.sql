CREATE TABLE `content_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `content_version` (`id`, `n`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `content_participants_insert` AFTER INSERT ON `participants` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_participants_update` AFTER UPDATE ON `participants` WHEN OLD.`name` IS NOT NEW.`name` OR OLD.`dir_name` IS NOT NEW.`dir_name` OR OLD.`repo` IS NOT NEW.`repo` OR OLD.`branch` IS NOT NEW.`branch` OR OLD.`subheading` IS NOT NEW.`subheading` OR OLD.`language` IS NOT NEW.`language` OR OLD.`position` IS NOT NEW.`position` OR OLD.`config` IS NOT NEW.`config` OR OLD.`validation_state` IS NOT NEW.`validation_state` OR OLD.`validation_messages` IS NOT NEW.`validation_messages` OR OLD.`head` IS NOT NEW.`head` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_participants_delete` AFTER DELETE ON `participants` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_repo_updates_insert` AFTER INSERT ON `repo_updates` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_repo_updates_update` AFTER UPDATE ON `repo_updates` WHEN OLD.`ok` IS NOT NEW.`ok` OR OLD.`operation` IS NOT NEW.`operation` OR OLD.`failed_step` IS NOT NEW.`failed_step` OR OLD.`output` IS NOT NEW.`output` OR OLD.`head` IS NOT NEW.`head` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_repo_updates_delete` AFTER DELETE ON `repo_updates` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_images_insert` AFTER INSERT ON `images` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_images_update` AFTER UPDATE ON `images` WHEN OLD.`ok` IS NOT NEW.`ok` OR OLD.`kind` IS NOT NEW.`kind` OR OLD.`ref` IS NOT NEW.`ref` OR OLD.`image_id` IS NOT NEW.`image_id` OR OLD.`built` IS NOT NEW.`built` OR OLD.`log` IS NOT NEW.`log` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_images_delete` AFTER DELETE ON `images` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_day_results_insert` AFTER INSERT ON `day_results` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_day_results_update` AFTER UPDATE ON `day_results` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_day_results_delete` AFTER DELETE ON `day_results` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_day_history_insert` AFTER INSERT ON `day_history` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_day_history_update` AFTER UPDATE ON `day_history` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_day_history_delete` AFTER DELETE ON `day_history` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_health_insert` AFTER INSERT ON `health` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_health_update` AFTER UPDATE ON `health` WHEN OLD.`level` IS NOT NEW.`level` OR OLD.`message` IS NOT NEW.`message` OR OLD.`detail` IS NOT NEW.`detail` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_health_delete` AFTER DELETE ON `health` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_cycles_insert` AFTER INSERT ON `cycles` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_cycles_update` AFTER UPDATE ON `cycles` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_cycles_delete` AFTER DELETE ON `cycles` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_matrix_cells_insert` AFTER INSERT ON `matrix_cells` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_matrix_cells_update` AFTER UPDATE ON `matrix_cells` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_matrix_cells_delete` AFTER DELETE ON `matrix_cells` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_matrix_inputs_insert` AFTER INSERT ON `matrix_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_matrix_inputs_update` AFTER UPDATE ON `matrix_inputs` WHEN OLD.`name` IS NOT NEW.`name` OR OLD.`owner_id` IS NOT NEW.`owner_id` OR OLD.`version` IS NOT NEW.`version` OR OLD.`part1` IS NOT NEW.`part1` OR OLD.`part2` IS NOT NEW.`part2` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_matrix_inputs_delete` AFTER DELETE ON `matrix_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_custom_inputs_insert` AFTER INSERT ON `custom_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_custom_inputs_update` AFTER UPDATE ON `custom_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_custom_inputs_delete` AFTER DELETE ON `custom_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_jobs_insert` AFTER INSERT ON `jobs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_jobs_status` AFTER UPDATE OF `status` ON `jobs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_jobs_delete` AFTER DELETE ON `jobs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_runners_insert` AFTER INSERT ON `runners` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `content_runners_delete` AFTER DELETE ON `runners` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;

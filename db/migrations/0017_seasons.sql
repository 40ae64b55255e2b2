DROP INDEX `custom_inputs_day_name`;--> statement-breakpoint
ALTER TABLE `custom_inputs` ADD `season` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `custom_inputs_season_day_name` ON `custom_inputs` (`season`,`day`,`name`);--> statement-breakpoint
DROP INDEX `participants_name_unique`;--> statement-breakpoint
ALTER TABLE `participants` ADD `season` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `participants_season_name` ON `participants` (`season`,`name`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_matrix_inputs` (
	`season` integer DEFAULT 0 NOT NULL,
	`day` integer NOT NULL,
	`name` text NOT NULL,
	`owner_id` integer,
	`version` text NOT NULL,
	`part1` text,
	`part2` text,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`season`, `day`, `name`)
);
--> statement-breakpoint
INSERT INTO `__new_matrix_inputs`("season", "day", "name", "owner_id", "version", "part1", "part2", "seen_at") SELECT 0, "day", "name", "owner_id", "version", "part1", "part2", "seen_at" FROM `matrix_inputs`;--> statement-breakpoint
DROP TABLE `matrix_inputs`;--> statement-breakpoint
ALTER TABLE `__new_matrix_inputs` RENAME TO `matrix_inputs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `jobs` ADD `season` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TRIGGER `content_matrix_inputs_insert` AFTER INSERT ON `matrix_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `content_matrix_inputs_update` AFTER UPDATE ON `matrix_inputs` WHEN OLD.`season` IS NOT NEW.`season` OR OLD.`name` IS NOT NEW.`name` OR OLD.`owner_id` IS NOT NEW.`owner_id` OR OLD.`version` IS NOT NEW.`version` OR OLD.`part1` IS NOT NEW.`part1` OR OLD.`part2` IS NOT NEW.`part2` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `content_matrix_inputs_delete` AFTER DELETE ON `matrix_inputs` BEGIN UPDATE `content_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
ALTER TABLE `day_history` ADD `usage` text;--> statement-breakpoint
ALTER TABLE `day_history` ADD `peak_memory_kb` integer;--> statement-breakpoint
ALTER TABLE `day_history` ADD `memory_low_kb` integer;--> statement-breakpoint
ALTER TABLE `day_history` ADD `memory_high_kb` integer;--> statement-breakpoint
ALTER TABLE `day_history` ADD `user_ms` real;--> statement-breakpoint
ALTER TABLE `day_history` ADD `sys_ms` real;--> statement-breakpoint
ALTER TABLE `day_history` ADD `memory_meter` text;--> statement-breakpoint
ALTER TABLE `day_results` ADD `usage` text;--> statement-breakpoint
ALTER TABLE `day_results` ADD `peak_memory_kb` integer;--> statement-breakpoint
ALTER TABLE `day_results` ADD `memory_low_kb` integer;--> statement-breakpoint
ALTER TABLE `day_results` ADD `memory_high_kb` integer;--> statement-breakpoint
ALTER TABLE `day_results` ADD `user_ms` real;--> statement-breakpoint
ALTER TABLE `day_results` ADD `sys_ms` real;--> statement-breakpoint
ALTER TABLE `day_results` ADD `memory_meter` text;
"""Feature plugins: each package exports PLUGIN, a bot.plugin.Plugin subclass, and uses only the core's API."""

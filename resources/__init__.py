"""Content (TOML), styles and icons, shipped as package data so an installed app finds them."""

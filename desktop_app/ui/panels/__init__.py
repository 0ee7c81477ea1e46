"""The window's panels: each a widget that shows one concern and says what the user asked for by signals."""

"""Block Kit, built in one place per surface: the ping, thread notes, escalations, App Home, the modal."""

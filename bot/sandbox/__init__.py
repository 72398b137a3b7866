"""A local stand-in for Slack: an in-memory workspace, its Web API over real HTTP, and the signed requests
Slack sends to the app. The tests and `upline sandbox` use it; Slack is the one thing they stand in for."""

"""The rules of Upline: pure Python, no Slack, no SQL, and never a clock read (time is passed in as `now`)."""

"""Upline: routes questions and escalations up an open-source project's maintainer ladder."""

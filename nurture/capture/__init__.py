"""Capture: touches read from Maildir, mbox and calendars (locally) into proposed entries.

``run.plan_capture`` reads what is new and plans; ``apply.log_plan`` writes.
Nothing is imported here: the worker processes that read mail import
``capture.mail`` alone, without the calendar libraries.
"""

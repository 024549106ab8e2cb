"""Capture: touches read from Maildir, mbox and calendars (locally) into proposed entries.

``run.plan_capture`` reads what is new and plans; ``apply.log_plan`` writes.
"""

from nurture.capture.run import Plan, Sources, plan_capture

__all__ = ["Plan", "Sources", "plan_capture"]

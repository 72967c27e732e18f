"""三审三校: the review queue's workflow, service and hash-chained audit log."""
from auditor.review.service import (ConflictError, ItemStatus, PermissionDenied, ReviewError, ReviewService,
                                    state_label)
from auditor.review.workflow import Workflow, WorkflowError

__all__ = ["ReviewService", "ReviewError", "PermissionDenied", "ConflictError", "ItemStatus", "Workflow",
           "WorkflowError", "state_label"]

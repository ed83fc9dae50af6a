"""Caseload service: service plans, services, referrals, exit, satisfaction, follow-ups, R&I."""

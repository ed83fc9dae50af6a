"""The intake service: client registration, profile, eligibility, suitability, personal details."""

"""Back-office views. The desk pages (agent console, triage, supervisors, oversight, audit) are in `desk/`."""

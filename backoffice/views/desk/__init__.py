"""The desk pages of the back office: the 311 agent console, the triage queue, the supervisors' pages,
the oversight investigators' view and the audit pages. Each view is thin: reading is in
`backoffice.desk_queries` / `desk_audit`, changes in `backoffice.desk_services` and `cases.services`."""

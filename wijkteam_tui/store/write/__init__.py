"""Write services: each call is one transaction, validates its input with Dutch messages, updates
the stored `next_due` and re-evaluates the client's alerts before it commits. Nothing is ever
half-saved: a refused call writes nothing.

`today` is always a parameter (the clock is injected by the caller).

One module per aggregate; what they share (who acts, version checks, lookups that refuse in
Dutch) is in `common`. The daily sweep, which is the system's upkeep rather than a person's
action, is `store.sweep`.
"""

"""The neighbourhood's carrying capacity: a teamleider's decisions on who is the same person."""

"""Tend: confidential opt-out wellness check-ins for resident physicians."""

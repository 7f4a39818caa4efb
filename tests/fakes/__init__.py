"""Fakes at the network edge only: the services the shop calls over the internet."""

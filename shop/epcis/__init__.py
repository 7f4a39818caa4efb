"""EPCIS 2.0 capture (the standard's REST binding): partners add their step to a batch's chain."""

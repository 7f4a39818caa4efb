"""Batch recalls: a lot withdrawn from sale, its buyers told, its scan page warning everyone."""

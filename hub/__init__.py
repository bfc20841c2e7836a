"""asinan-hub: the real-time communication hub of ASINAN public-service requests."""

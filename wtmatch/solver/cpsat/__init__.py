"""CP-SAT plumbing shared by every model: proto building, parameters, runs, hints, lanes."""

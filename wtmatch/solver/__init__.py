"""Everything that talks to OR-Tools CP-SAT; the only package that imports ortools."""

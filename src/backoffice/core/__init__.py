"""The shared kernel: money, quantities, time and localisation. Pure, no I/O."""

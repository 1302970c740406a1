"""Sample SFA/MA data for the demo, the tests and the benchmarks; not part of the pipeline.

The runtime package ``orchestration`` never imports it at module level: ``kpitree generate``
and ``kpitree demo`` load it when they run, so a production run does not carry it.

- :mod:`sample_data.generate` -- ``generate(out_dir, scale, seed)`` writes one fiscal year of a
  B2B company's exports in the canonical landing contract, byte-identical for the same seed;
- :mod:`sample_data.calibration` -- the organisation and the rates the sample is tuned to;
- :mod:`sample_data.timeline` -- the fiscal year as integer days and seconds, and their text.
"""

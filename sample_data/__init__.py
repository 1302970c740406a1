"""Sample SFA/MA data for the demo, the tests and the benchmarks; not part of the pipeline.

The runtime package ``orchestration`` never imports it at module level: ``kpitree generate``
and ``kpitree demo`` load it when they run, so a production run does not carry it.

- :mod:`sample_data.generate` -- ``generate(out_dir, scale, seed)`` writes one fiscal year of a
  B2B company's exports in the canonical landing contract, byte-identical for the same seed;
- :mod:`sample_data.drops` -- ``write_next_day(landing)`` adds the next day's delta export to such
  a folder: new records and new versions of old ones (status changes, stage moves, a backdated
  stage change, corrected amounts and sources);
- :mod:`sample_data.calibration` -- the organisation and the rates the sample is tuned to;
- :mod:`sample_data.timeline` -- the fiscal year as integer days and seconds, and their text.
"""

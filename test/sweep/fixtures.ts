// Scenario texts for the sweep tests: a small deployment with two templates, named list elements
// and a diurnal workload, written the way people write scenario files.

export const SWEPT = `name: sweep-fixture
seed: 11
start: 2026-03-02T05:00:00Z
duration: PT2H
provisioners:
  daemons: 4
users: {count: 10}
templates:
  - name: dev
    versions:
      - name: v1
        presets:
          - {name: small, desiredInstances: 2}
          - {name: large, desiredInstances: 1}
  - name: data
    versions:
      - name: v1
        presets:
          - name: notebook
            desiredInstances: 1
workload:
  claims:
    - preset: dev/small
      rate: 12/h
      timezone: Europe/Berlin
      hours: {"8-11": 2.0, "*": 0.5}
    - {preset: data/notebook, every: PT20M}
`;

export const SMALL_DESIRED = "templates.dev.versions.v1.presets.small.desiredInstances";

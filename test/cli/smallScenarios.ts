// Two scenarios that simulate in seconds, for end-to-end tests of the command line and the package:
// `quick` passes; `slow` cannot converge (one daemon, half-hour builds, a 5-minute window), so
// every seed fails with a `converges` violation.
export const PASSING = `name: quick
description: a small pool on one replica
duration: PT20M
provisioners: {buildTime: {fixed: PT2M}}
templates:
  - name: dev
    versions:
      - name: v1
        presets: [{name: small, desiredInstances: 2}]
expect: {convergeWithin: PT10M}
`;

export const FAILING = `name: slow
duration: PT20M
provisioners: {daemons: 1, buildTime: {fixed: PT30M}}
templates:
  - name: dev
    versions:
      - name: v1
        presets: [{name: small, desiredInstances: 3}]
expect: {convergeWithin: PT5M}
`;

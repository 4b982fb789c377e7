// The six ISM network-API controls as the app knows them without an imported catalog. The summaries
// are the project's own words; the official statement comes from an imported OSCAL catalog.
export const CONTROL_IDS = ["ism-1818", "ism-2013", "ism-1817", "ism-2014", "ism-1910", "ism-2015"] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** Column on the Api row that stores the evaluated status of each control. */
export const CONTROL_COLUMN = {
  "ism-1818": "ism1818",
  "ism-2013": "ism2013",
  "ism-1817": "ism1817",
  "ism-2014": "ism2014",
  "ism-1910": "ism1910",
  "ism-2015": "ism2015",
} as const satisfies Record<ControlId, string>;
export type ControlColumn = (typeof CONTROL_COLUMN)[ControlId];

export type ControlInfo = {
  id: ControlId;
  label: string;
  kind: "auth" | "logging";
  /** Which data activity brings the API into scope. */
  trigger: "modifies" | "nonPublic" | "either";
  internet: boolean;
  summary: string;
  iso27001: readonly string[];
};

const AUTH_MODIFY_ISO = [
  "A.5.16 Identity management",
  "A.5.17 Authentication information",
  "A.5.18 Access rights",
  "A.8.5 Secure authentication",
];
const AUTH_READ_ISO = ["A.5.15 Access control", "A.8.3 Information access restriction", "A.8.5 Secure authentication"];
const LOGGING_ISO = ["A.8.15 Logging", "A.8.16 Monitoring activities"];

export const CONTROLS: Record<ControlId, ControlInfo> = {
  "ism-1818": {
    id: "ism-1818",
    label: "ISM-1818",
    kind: "auth",
    trigger: "modifies",
    internet: true,
    summary:
      "An internet-reachable API that can change data must authenticate and authorise every client on every call.",
    iso27001: AUTH_MODIFY_ISO,
  },
  "ism-2013": {
    id: "ism-2013",
    label: "ISM-2013",
    kind: "auth",
    trigger: "modifies",
    internet: false,
    summary: "An internal API that can change data must authenticate and authorise every client on every call.",
    iso27001: AUTH_MODIFY_ISO,
  },
  "ism-1817": {
    id: "ism-1817",
    label: "ISM-1817",
    kind: "auth",
    trigger: "nonPublic",
    internet: true,
    summary:
      "An internet-reachable API that returns data not cleared for public release must authenticate and authorise every client on every call.",
    iso27001: AUTH_READ_ISO,
  },
  "ism-2014": {
    id: "ism-2014",
    label: "ISM-2014",
    kind: "auth",
    trigger: "nonPublic",
    internet: false,
    summary:
      "An internal API that returns data not cleared for public release must authenticate and authorise every client on every call.",
    iso27001: AUTH_READ_ISO,
  },
  "ism-1910": {
    id: "ism-1910",
    label: "ISM-1910",
    kind: "logging",
    trigger: "either",
    internet: true,
    summary:
      "Calls to an internet-reachable API that changes data or returns non-public data must be logged to a central place.",
    iso27001: LOGGING_ISO,
  },
  "ism-2015": {
    id: "ism-2015",
    label: "ISM-2015",
    kind: "logging",
    trigger: "either",
    internet: false,
    summary: "Calls to an internal API that changes data or returns non-public data must be logged to a central place.",
    iso27001: LOGGING_ISO,
  },
};

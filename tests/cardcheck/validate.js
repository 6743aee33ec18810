#!/usr/bin/env node
// Parses and validates Adaptive Cards with the official renderer library
// (npm "adaptivecards" 3.x) as a schema 1.3 host, the version Webex renders.
//
//   node validate.js path/to/adaptivecards.js card1.json [card2.json ...]
//
// The library is the playground's (emulator/static/node_modules, installed by
// emulator.playground.ensure_renderer), so one npm install serves both.
// Prints one JSON object: {"<file>": ["problem", ...], ...} and exits 1 when
// any card has a problem. Every parse event and every validation event counts
// (unknown elements, properties from later versions, too many actions, ...).
"use strict";
const fs = require("fs");
const path = require("path");
const AC = require(path.resolve(process.argv[2]));

const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

function check(json) {
  const problems = [];
  if (json.type !== "AdaptiveCard") problems.push(`type is ${JSON.stringify(json.type)}`);
  if (json.version !== "1.3") problems.push(`version is ${JSON.stringify(json.version)}, not "1.3"`);
  if (json.$schema !== SCHEMA) problems.push(`$schema is ${JSON.stringify(json.$schema)}`);
  const context = new AC.SerializationContext(AC.Versions.v1_3);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[event.event] || event.event}: ${event.message}`);
  }
  const results = card.validateProperties();
  for (const event of results.validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[event.event] || event.event}: ${event.message}`);
  }
  return problems;
}

const report = {};
let failed = false;
for (const file of process.argv.slice(3)) {
  let problems;
  try {
    problems = check(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (error) {
    problems = [`exception: ${error && error.message}`];
  }
  report[file] = problems;
  if (problems.length) failed = true;
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
process.exit(failed ? 1 : 0);

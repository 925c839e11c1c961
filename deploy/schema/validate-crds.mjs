// Validates custom resources against the schemas their operators publish, as packaged by the
// @kubernetes-models/* packages pinned in package.json (compiled validators, one per kind).
//
// stdin:  a JSON array of Kubernetes objects
// stdout: a JSON array of the same length; element i lists the problems of object i, each
//         "<path>: <what is wrong>" (an empty list when the object is valid)
//
// Those validators check types, enums, formats, bounds and required fields, but, like the
// OpenAPI they are compiled from, let unknown fields pass; an API server running
// `kubectl apply --validate=strict` refuses them. This script therefore also records which
// fields of each object the validator looked up: an object whose schema names its fields is
// looked up field by field (present or not), so a field it never asked for is not in the schema.
// Objects the validator never looks into (free-form ones, x-kubernetes-preserve-unknown-fields)
// and maps it enumerates are left alone.

// Add a package here (and to package.json) to give its kinds a schema.
const PACKAGES = [
  "@kubernetes-models/strimzi-kafka-operator",
  "@kubernetes-models/cloudnative-pg",
  "@kubernetes-models/keda",
  "@kubernetes-models/prometheus-operator",
];

const modelCache = new Map();

async function modelFor(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (!modelCache.has(key)) {
    modelCache.set(key, await findModel(apiVersion, kind));
  }
  return modelCache.get(key);
}

async function findModel(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  if (slash < 0 || !/^[A-Za-z0-9]+$/.test(kind)) {
    return null;
  }
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  for (const pkg of PACKAGES) {
    let module;
    try {
      module = await import(`${pkg}/${group}/${version}/${kind}`);
    } catch (e) {
      if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
        continue;
      }
      throw e;
    }
    const model = module[kind];
    if (model && model.apiVersion === apiVersion && model.kind === kind) {
      return { model, pkg };
    }
  }
  return null;
}

function pathOf(parent, key) {
  if (typeof key === "number") {
    return `${parent}[${key}]`;
  }
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Wraps value so that every field lookup on it, and on what it contains, is recorded. */
function track(value, path, records) {
  const record = { value, path, lookedUp: new Set(), enumerated: false };
  records.push(record);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const result = Reflect.get(target, key, receiver);
      if (typeof key !== "string") {
        return result;
      }
      record.lookedUp.add(key);
      if (result !== null && typeof result === "object" && Object.prototype.hasOwnProperty.call(target, key)) {
        if (!children.has(key)) {
          const childPath = pathOf(path, Array.isArray(target) ? Number(key) : key);
          children.set(key, track(result, childPath, records));
        }
        return children.get(key);
      }
      return result;
    },
    has(target, key) {
      if (typeof key === "string") {
        record.lookedUp.add(key);
      }
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function instancePath(pointer) {
  if (!pointer) {
    return "";
  }
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, segment) => pathOf(path, /^\d+$/.test(segment) ? Number(segment) : segment), "");
}

function describe(error) {
  const p = error.params || {};
  switch (error.keyword) {
    case "required":
      return { path: instancePath(error.instancePath), text: `missing required field "${p.missingProperty}"` };
    case "type":
      return { path: instancePath(error.instancePath), text: `must be ${p.type}` };
    case "enum":
      return { path: instancePath(error.instancePath), text: `must be one of ${JSON.stringify(p.allowedValues)}` };
    case "format":
      return { path: instancePath(error.instancePath), text: `must match format "${p.format}"` };
    case "additionalProperties":
      return {
        path: pathOf(instancePath(error.instancePath), p.additionalProperty),
        text: "unknown field (not in the schema)",
      };
    default:
      return { path: instancePath(error.instancePath), text: `${error.keyword} ${JSON.stringify(p)}` };
  }
}

async function problemsOf(object) {
  if (!isPlainObject(object) || typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return ["not a Kubernetes object (apiVersion and kind are required)"];
  }
  const found = await modelFor(object.apiVersion, object.kind);
  if (!found) {
    return [
      `no schema for ${object.kind} (${object.apiVersion}) in ${PACKAGES.join(", ")}; ` +
        "add the package that publishes it (deploy/README.md)",
    ];
  }
  const records = [];
  const tracked = track(object, "", records);
  const problems = [];
  try {
    found.model.prototype.validate.call(tracked);
  } catch (e) {
    if (!Array.isArray(e.errors)) {
      throw e;
    }
    for (const error of e.errors) {
      const { path, text } = describe(error);
      problems.push(`${path || "."}: ${text}`);
    }
  }
  for (const record of records) {
    if (!isPlainObject(record.value) || record.enumerated || record.lookedUp.size === 0) {
      continue;
    }
    for (const key of Object.keys(record.value)) {
      if (!record.lookedUp.has(key)) {
        problems.push(`${pathOf(record.path, key)}: unknown field (not in the schema of ${found.pkg})`);
      }
    }
  }
  return [...new Set(problems)];
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const objects = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = [];
  for (const object of objects) {
    results.push(await problemsOf(object));
  }
  process.stdout.write(JSON.stringify(results));
}

await main();

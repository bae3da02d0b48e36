// The baseline of `npm run bench`: a Worker that only answers JSON, with no routing, middleware or
// bindings. What minnow's routes cost is measured against this, in the same run.
export default {
  fetch() {
    return Response.json({ ok: true });
  },
};

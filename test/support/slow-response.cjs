// Test instrumentation, preloaded with `node --require`: a response to a request carrying
// `x-test-delay-ms: N` is held N ms before it is sent, so any route of any app can stand for a
// request in flight when SIGTERM arrives. The app's code is not touched.
'use strict';
const http = require('node:http');
const end = http.ServerResponse.prototype.end;
http.ServerResponse.prototype.end = function delayedEnd(...args) {
  const ms = Number(this.req?.headers['x-test-delay-ms']);
  if (ms > 0 && !this.testDelayed) {
    this.testDelayed = true;
    setTimeout(() => end.apply(this, args), ms);
    return this;
  }
  return end.apply(this, args);
};

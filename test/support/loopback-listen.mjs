// Loaded with `node --import` into a third-party server that calls `listen(port, callback)` with no
// host (which binds every interface): such a call binds loopback only, as tests here must.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if ((typeof args[0] === 'number' || typeof args[0] === 'string') && (args.length === 1 || typeof args[1] === 'function')) {
    return listen.call(this, Number(args[0]), '127.0.0.1', ...args.slice(1));
  }
  return listen.apply(this, args);
};

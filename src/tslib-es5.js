// The one TypeScript helper the ES5 classic scripts take (errors.ts's `class extends`), in place of tslib's: rollup.config.mjs injects it into their builds.

/**
 * `class Derived extends Base` compiled to ES5: `Derived.prototype` inherits `Base.prototype`
 * (`constructor` non-enumerable, as on a class), and `Derived` inherits `Base`'s statics where the
 * engine can set a function's prototype (IE10 cannot; no class here has statics). tslib's version
 * also takes a null base and copies statics without setPrototypeOf: 117 B gzip more in
 * dist/ssekit.min.js for paths no ssekit class takes.
 */
export function __extends(Derived, Base) {
  if (Object.setPrototypeOf) Object.setPrototypeOf(Derived, Base);
  Derived.prototype = Object.create(Base.prototype, { constructor: { value: Derived, writable: true, configurable: true } });
}

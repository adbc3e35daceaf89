"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.guardJson = guardJson;
/**
 * The limits and key rules of the form decoder, applied to JSON bodies and fetch items:
 * `JSON.parse` keeps `__proto__` as an own key, harmless until someone merges the object.
 */
const event_validation_error_1 = require("./event-validation-error");
const php_form_1 = require("./php-form");
function fail(message, path) {
    throw new event_validation_error_1.EventValidationError([(0, event_validation_error_1.eventIssue)(message, path)]);
}
/**
 * Throws {@link EventValidationError} when `value` nests deeper than `maxDepth` objects below the
 * top, has more than `maxKeys` keys and items, a string longer than `maxValueLength`, or a key
 * named `__proto__`, `constructor` or `prototype`.
 */
function guardJson(value, limits = {}) {
    const maxDepth = limits.maxDepth ?? php_form_1.PHP_FORM_LIMITS.maxDepth;
    const maxKeys = limits.maxKeys ?? php_form_1.PHP_FORM_LIMITS.maxKeys;
    const maxValue = limits.maxValueLength ?? php_form_1.PHP_FORM_LIMITS.maxValueLength;
    const maxKey = limits.maxKeyLength ?? php_form_1.PHP_FORM_LIMITS.maxKeyLength;
    let count = 0;
    const walk = (v, depth, path) => {
        if (typeof v === 'string') {
            if (v.length > maxValue)
                fail(`value longer than ${maxValue} characters`, path);
            return;
        }
        if (typeof v !== 'object' || v === null)
            return;
        if (depth > maxDepth)
            fail(`nested deeper than ${maxDepth} levels`, path.slice(0, 3));
        const entries = Array.isArray(v) ? v.entries() : Object.entries(v);
        for (const [k, child] of entries) {
            if (++count > maxKeys)
                fail(`more than ${maxKeys} keys`, []);
            if (typeof k === 'string') {
                if (k === '__proto__' || k === 'constructor' || k === 'prototype')
                    fail(`forbidden key "${k}"`, path);
                if (k.length > maxKey)
                    fail(`key longer than ${maxKey} characters`, path);
            }
            walk(child, depth + 1, path.length < 8 ? [...path, k] : path);
        }
    };
    walk(value, 0, []);
}

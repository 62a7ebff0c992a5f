// The floor for the handler-cost measurement in bench/edge/load.js: the same 302 answer as the
// two measured workers, with no verification. What a handler call costs above this is its work.
import { responseFor } from '../../wasm/src/edge/responses.js';

const TARGET = 'https://shop.example.com/spring?id=7&ref=mail';

export default {
  async fetch() {
    const { status, headers, body } = responseFor({ action: 'redirect', location: TARGET });
    return new Response(body, { status, headers });
  },
};

// Browsers: compile a .wasm (a URL, streamed) or take an already compiled WebAssembly.Module.
export async function compileWasm(source) {
  if (source instanceof WebAssembly.Module) return source;
  const response = await fetch(source);
  if (!response.ok) throw new Error(`clicktrail: cannot load its .wasm (${response.status})`);
  return WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

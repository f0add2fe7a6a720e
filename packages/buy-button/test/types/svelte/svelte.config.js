// Stops svelte-check looking further up (it would find the package's vite.config.ts).
export default {};

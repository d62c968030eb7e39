export async function handler() { return {}; }

// A tenant store that knows which origins may call the API.
declare const tenants: { isAllowed(origin: string): Promise<boolean> };

// The data functions of a Next.js route handler.
declare function listItems(): Promise<unknown[]>;
declare function addItem(item: unknown): Promise<unknown>;

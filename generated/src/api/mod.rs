// placeholder until the first codegen run

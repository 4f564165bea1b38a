# Sources of the Docker overlay2 store (core/image/docker), added to strata_core.
strata_core_sources(dockerrepositories dockerlayerdb dockerimageconfig dockercontainerconfig
  overlay2dirs dockerhost dockermountowner dockercontainerdroot)

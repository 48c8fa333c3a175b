# What `cmake --install build` puts under the prefix: the two programs, the sample
# configuration and the docs. tools/container/build-image-root.sh installs it for the image.
include(GNUInstallDirs)
install(TARGETS ovo ovoctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES conf/serverconf.json DESTINATION ${CMAKE_INSTALL_DATADIR}/ovo)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
